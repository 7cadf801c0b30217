import { ServiceProcess } from '@plo/testing';

/** An operator's typo must stop the service at once with one line that names the variable. */
describe('configuration at start-up', () => {
  it.each([
    ['cases', { KAFKA_BROKERS: 'broker-without-port' }, 'KAFKA_BROKERS="broker-without-port"'],
    ['alerting', { HTTP_PORT: 'eighty' }, 'HTTP_PORT="eighty"'],
    ['plo', { DATABASE_URL: 'mysql://db/plo' }, 'DATABASE_URL="mysql://db/plo"'],
    ['alerting', { NODE_ENV: 'production', TEST_CLOCK_ENABLED: 'true' }, 'TEST_CLOCK_ENABLED'],
  ] as const)(
    '%s refuses %p',
    async (name, env, named) => {
      const service = new ServiceProcess(name, { HTTP_PORT: '14999', ...env });
      await service.start({ waitHealthy: false });
      expect(await service.exited()).toBe(78);
      const lines = service.logs.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^invalid configuration: /);
      expect(lines[0]).toContain(named);
    },
    30_000,
  );
});
