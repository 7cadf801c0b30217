import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'a-shared-secret-of-some-length';
  const body = JSON.stringify({ type: 'uk.gov.plo.alerts.alert-raised.v1', data: { alertId: 'x' } });

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies only the exact body, timestamp and secret, within the freshness window', () => {
    const signature = signWebhook(secret, 1700000000, body);
    expect(verifyWebhook(secret, 1700000000, body, signature, 1700000100)).toBe(true);
    expect(verifyWebhook(secret, 1700000000, `${body} `, signature, 1700000100)).toBe(false);
    expect(verifyWebhook(secret, 1700000001, body, signature, 1700000100)).toBe(false);
    expect(verifyWebhook('another-secret-entirely', 1700000000, body, signature, 1700000100)).toBe(false);
    expect(verifyWebhook(secret, 1700000000, body, signature, 1700000000 + 301)).toBe(false);
  });
});
