import { isUUID } from 'class-validator';
import { newEventId } from './event-id';

describe('event ids', () => {
  it('are version 7 UUIDs with the RFC 9562 variant, accepted wherever a UUID is', () => {
    const id = newEventId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUUID(id)).toBe(true);
  });

  it('carry the millisecond they were made in, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2027, 0, 4, 23, 59, 59, 999);
    const id = newEventId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    const ids = Array.from({ length: 1000 }, (_, i) => newEventId(at + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it('do not repeat, even many to the millisecond', () => {
    const at = Date.now();
    const ids = Array.from({ length: 100_000 }, () => newEventId(at));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
