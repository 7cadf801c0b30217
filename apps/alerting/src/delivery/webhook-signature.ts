import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-plo-signature';
export const TIMESTAMP_HEADER = 'x-plo-timestamp';
export const DELIVERY_HEADER = 'x-plo-delivery';

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: signing the timestamp with the body lets
 * a receiver refuse replays of an old message (compare the timestamp with its own clock).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does; kept here so the tests and the README example check the same thing. */
export function verifyWebhook(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
