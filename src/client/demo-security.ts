/**
 * Security header blocks for the demo client. Until the hub requires tokens (insecure development mode),
 * none are needed; once the security stack is wired, this asks the hub's test STS for an ID card.
 */
export async function demoSecurityHeaders(_baseUrl: string): Promise<() => Promise<string[]>> {
  return async () => [];
}
