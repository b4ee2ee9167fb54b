/**
 * rs:RegistryResponse and rs:RegistryErrorList (ebRS 3.0 §2.1.4-2.1.6; ITI TF-3 §4.2.4 error reporting).
 * Status: Success / Failure in the ebRS namespace, PartialSuccess in the IHE one (ITI TF-3 §4.2.4.2).
 */
import type { RegistryErrorEntry } from '../errors.js';
import { Severity } from '../errors.js';
import { attrs } from './write-rim.js';
import { NS, ResponseStatus, type ResponseStatusValue } from './namespaces.js';

export { ResponseStatus, type ResponseStatusValue };

/**
 * rs:RegistryErrorList, or '' when there is nothing to report. `highestSeverity` is the worst severity
 * present (ebRS 3.0 §2.1.5). Written with the `rs:` prefix, which the caller's element must declare.
 */
export function registryErrorListXml(errors: readonly RegistryErrorEntry[]): string {
  if (errors.length === 0) return '';
  const highest = errors.some((e) => e.severity === Severity.Error) ? Severity.Error : Severity.Warning;
  const items = errors
    .map(
      (e) =>
        `<rs:RegistryError${attrs([
          ['errorCode', e.errorCode],
          ['codeContext', e.codeContext],
          ['severity', e.severity],
          ['location', e.location],
        ])}/>`,
    )
    .join('');
  return `<rs:RegistryErrorList highestSeverity="${highest}">${items}</rs:RegistryErrorList>`;
}

/** The status implied by a list of entries: Failure when any is an error, else Success. */
export function statusFor(errors: readonly RegistryErrorEntry[]): ResponseStatusValue {
  return errors.some((e) => e.severity === Severity.Error) ? ResponseStatus.Failure : ResponseStatus.Success;
}

/**
 * A complete rs:RegistryResponse element declaring its own namespace (the ITI-41/42 response body, and the
 * RegistryResponse inside ITI-43 responses). `status` defaults to what the entries imply.
 */
export function registryResponseXml(
  errors: readonly RegistryErrorEntry[] = [],
  status: ResponseStatusValue = statusFor(errors),
  options: { requestId?: string } = {},
): string {
  const open = `<rs:RegistryResponse xmlns:rs="${NS.rs}"${attrs([['status', status], ['requestId', options.requestId]])}`;
  const list = registryErrorListXml(errors);
  return list ? `${open}>${list}</rs:RegistryResponse>` : `${open}/>`;
}

/** Convenience: a Failure response for these errors (TransactionDescriptor.errorResponse of ITI-41/42). */
export function registryFailureXml(errors: readonly RegistryErrorEntry[]): string {
  return registryResponseXml(errors, ResponseStatus.Failure);
}
