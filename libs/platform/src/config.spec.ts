import { IsInt, Max, Min } from 'class-validator';
import { BaseEnvironment, ConfigurationError, loadEnvironment } from './config';

class ExampleEnvironment extends BaseEnvironment {
  override DATABASE_URL: string = 'postgres://plo@127.0.0.1:5432/plo_example';
  @IsInt() @Min(1) @Max(65535) override HTTP_PORT: number = 3999;
}

describe('loadEnvironment', () => {
  it('gives local-development defaults when nothing is set', () => {
    const env = loadEnvironment(ExampleEnvironment, {});
    expect(env).toMatchObject({
      KAFKA_BROKERS: '127.0.0.1:9092',
      HTTP_PORT: 3999,
      OUTBOX_RELAY_ENABLED: true,
      KAFKA_SSL: false,
      TEST_CLOCK_ENABLED: false,
    });
  });

  it('converts numbers and booleans from their text form', () => {
    const env = loadEnvironment(ExampleEnvironment, {
      HTTP_PORT: '4100',
      OUTBOX_RELAY_ENABLED: 'false',
      KAFKA_SSL: 'true',
      CONSUMER_MAX_ATTEMPTS: '7',
    });
    expect(env).toMatchObject({ HTTP_PORT: 4100, OUTBOX_RELAY_ENABLED: false, KAFKA_SSL: true, CONSUMER_MAX_ATTEMPTS: 7 });
  });

  it('names every bad variable and what was given in one line', () => {
    const attempt = () =>
      loadEnvironment(ExampleEnvironment, { KAFKA_BROKERS: 'localhost', HTTP_PORT: '70000', DATABASE_URL: 'mysql://x/y' });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain('KAFKA_BROKERS="localhost"');
      expect(message).toContain('HTTP_PORT="70000"');
      expect(message).toContain('DATABASE_URL="mysql://x/y"');
    }
  });

  it('refuses the adjustable test clock in production', () => {
    expect(() => loadEnvironment(ExampleEnvironment, { NODE_ENV: 'production', TEST_CLOCK_ENABLED: 'true' })).toThrow(/TEST_CLOCK_ENABLED/);
    expect(loadEnvironment(ExampleEnvironment, { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' }).TEST_CLOCK_ENABLED).toBe(true);
  });

  it('accepts a namespace only in its dotted form', () => {
    expect(loadEnvironment(ExampleEnvironment, { KAFKA_NAMESPACE: 'staging.' }).KAFKA_NAMESPACE).toBe('staging.');
    expect(() => loadEnvironment(ExampleEnvironment, { KAFKA_NAMESPACE: 'Staging' })).toThrow(/KAFKA_NAMESPACE/);
  });

  it('takes a plain-http identity provider only on loopback and never in production', () => {
    const local = { AUTH_MODE: 'oidc', AUTH_ISSUER: 'http://127.0.0.1:8180/realms/plo', AUTH_JWKS_URL: 'http://localhost:8180/certs' };
    expect(loadEnvironment(ExampleEnvironment, { ...local, NODE_ENV: 'test' }).AUTH_ISSUER).toBe('http://127.0.0.1:8180/realms/plo');
    expect(() => loadEnvironment(ExampleEnvironment, { ...local, NODE_ENV: 'production' })).toThrow(/AUTH_ISSUER=.*AUTH_JWKS_URL=/);
    expect(() => loadEnvironment(ExampleEnvironment, { AUTH_ISSUER: 'http://idp.council.example/realms/plo' })).toThrow(/AUTH_ISSUER/);
    expect(() => loadEnvironment(ExampleEnvironment, { AUTH_ISSUER: 'http://127.0.0.1.evil.example/realms/plo' })).toThrow(/AUTH_ISSUER/);
    expect(
      loadEnvironment(ExampleEnvironment, {
        NODE_ENV: 'production',
        AUTH_MODE: 'oidc',
        AUTH_ISSUER: 'https://idp.council.example/realms/plo',
      }).AUTH_ISSUER,
    ).toBe('https://idp.council.example/realms/plo');
  });
});
