import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 16 * 256;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * A new event id: a UUIDv7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds.
 * Every consumer records the ids it has processed and every outbox indexes them; ids that rise with
 * time land at the right edge of those indexes instead of on random pages, which at a million
 * events is much of a consumer's write cost. The other 74 bits are random, so ids stay unguessable
 * and unique across services without coordination.
 */
export function newEventId(nowMs: number = Date.now()): string {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
