import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.js';
import { DEFAULT_PART_SIZE, parseS3Url, redact } from '../../../src/storage/s3/index.js';

describe('parseS3Url', () => {
  it('reads endpoint, credentials, bucket, prefix and options', () => {
    expect(parseS3Url('s3://AK:s%2Fecret@minio:9000/xds-documents/hub/a?tls=false&region=eu-north-1&partSizeMiB=12')).toEqual({
      endPoint: 'minio',
      port: 9000,
      useSSL: false,
      accessKey: 'AK',
      secretKey: 's/ecret',
      region: 'eu-north-1',
      bucket: 'xds-documents',
      prefix: 'hub/a/',
      partSize: 12 * 1024 * 1024,
    });
  });

  it('defaults to TLS, us-east-1, no prefix and the default part size; credentials may come from the environment', () => {
    const loc = parseS3Url('s3://s3.example.org/docs', { accessKey: 'A', secretKey: 'S' });
    expect(loc).toMatchObject({ useSSL: true, port: undefined, region: 'us-east-1', prefix: '', partSize: DEFAULT_PART_SIZE });
    expect(loc.accessKey).toBe('A');
  });

  it.each([
    ['not a url', /not a valid URL/],
    ['http://a:b@host/bucket', /expected an s3:\/\/ URL/],
    ['s3://a:b@host/', /not a valid S3 bucket name/],
    ['s3://a:b@host/Bad_Bucket', /not a valid S3 bucket name/],
    ['s3://host/bucket', /credentials missing/],
    ['s3://a:b@host/bucket?tls=yes', /tls must be true or false/],
    ['s3://a:b@host/bucket?partSizeMiB=2', /partSizeMiB must be/],
    ['s3://a:b@host/bucket?secure=1', /unknown s3:\/\/ parameter "secure"/],
  ])('rejects %s with a ConfigError', (url, message) => {
    expect(() => parseS3Url(url)).toThrow(ConfigError);
    expect(() => parseS3Url(url)).toThrow(message);
  });

  it('never puts the secret in an error message', () => {
    expect(() => parseS3Url('s3://AK:topsecret@host/B')).toThrow(/bucket name/);
    try {
      parseS3Url('s3://AK:topsecret@host/B');
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('topsecret');
    }
    expect(redact('s3://AK:topsecret@host/b')).toBe('s3://AK:***@host/b');
  });
});
