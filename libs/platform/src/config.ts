import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  ValidateIf,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateBy,
} from 'class-validator';

// Reads the raw value: implicit conversion has already turned the string 'false' into true.
export const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) =>
  obj[key] === undefined ? undefined : ['1', 'true', 'yes'].includes(String(obj[key]).toLowerCase());

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?(\/|$)/;

/**
 * An identity provider's URL: https, or plain http on this machine's loopback outside production (a
 * development Keycloak, scripts/keycloak.sh; nothing crosses a network, as RFC 8252 reasons for
 * loopback redirects). `urn` also admits the development issuer's name.
 */
function IsProviderUrl(what: string, options: { urn: boolean }) {
  return ValidateBy({
    name: 'isProviderUrl',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' &&
        (value.startsWith('https://') ||
          (options.urn && value.startsWith('urn:')) ||
          ((args?.object as BaseEnvironment).NODE_ENV !== 'production' && LOOPBACK_HTTP.test(value))),
      defaultMessage: () =>
        `${what} must be an https URL${options.urn ? ' (or a urn in development)' : ''}; plain http only to 127.0.0.1 or localhost, and not in production`,
    },
  });
}

/**
 * Variables every service reads. Each service extends this with its own (and its own default port).
 * Defaults are local-development values; the README lists every variable.
 */
export class BaseEnvironment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'DATABASE_URL must be a postgres:// URL naming a database' })
  DATABASE_URL: string;

  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /**
   * Prefixed to every topic and consumer group, so several environments (or test runs) can share one
   * cluster without seeing each other's events. Empty in a normal deployment.
   */
  @Matches(/^([a-z0-9][a-z0-9-]*\.)?$/, {
    message: 'KAFKA_NAMESPACE must be empty or lowercase letters, digits and dashes ending with a dot',
  })
  KAFKA_NAMESPACE: string = '';

  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS: number = 6;

  @IsInt()
  @Min(1)
  @Max(5)
  KAFKA_REPLICATION_FACTOR: number = 1;

  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @IsOptional()
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  @Transform(toBoolean)
  @IsBoolean()
  KAFKA_SSL: boolean = false;

  @IsInt()
  @Min(1)
  @Max(65535)
  HTTP_PORT: number;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /** Off only to run the relay elsewhere (or, in tests, to stand for a crash between commit and publish). */
  @Transform(toBoolean)
  @IsBoolean()
  OUTBOX_RELAY_ENABLED: boolean = true;

  @IsInt()
  @Min(5)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS: number = 200;

  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE: number = 500;

  /** How the relay compresses what it sends to Kafka: gzip trades the sender's CPU for a fifth of the bytes on the broker and the network. */
  @IsIn(['gzip', 'none'])
  KAFKA_COMPRESSION: 'gzip' | 'none' = 'gzip';

  @IsInt()
  @Min(1)
  @Max(100)
  CONSUMER_MAX_ATTEMPTS: number = 5;

  @IsInt()
  @Min(1)
  @Max(60_000)
  CONSUMER_RETRY_BACKOFF_MS: number = 200;

  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_BATCH_SIZE: number = 500;

  /**
   * How long the broker waits for a consumer that stopped heartbeating (a crash) before giving its
   * partitions to another member; a restarted instance waits this long to get them back.
   */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  /**
   * `oidc`: tokens from the council's identity provider (AUTH_ISSUER's discovery document or
   * AUTH_JWKS_URL). `development`: locally generated keys (`npm run token`); refused in production.
   */
  @IsIn(['oidc', 'development'])
  @ValidateIf((env: BaseEnvironment) => env.NODE_ENV === 'production')
  @Equals('oidc', { message: 'AUTH_MODE must be oidc when NODE_ENV=production' })
  AUTH_MODE: 'oidc' | 'development' = 'development';

  @IsProviderUrl('AUTH_ISSUER', { urn: true })
  AUTH_ISSUER: string = 'urn:plo:dev-issuer';

  @IsString()
  @Matches(/^\S+$/)
  AUTH_AUDIENCE: string = 'plo-api';

  @IsOptional()
  @IsProviderUrl('AUTH_JWKS_URL', { urn: false })
  AUTH_JWKS_URL?: string;

  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_SKEW_SECONDS: number = 60;

  @IsString()
  AUTH_DEV_KEYS_FILE: string = '.local/auth/dev-keys.json';

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 600;

  /**
   * Where the rate-limit buckets live when several instances serve one API: a Redis URL. Unset, each
   * instance limits on its own (a caller reaching N instances gets N times the limit).
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/([^@/\s]+@)?[A-Za-z0-9.-]+(:\d{1,5})?(\/\d{1,2})?$/, {
    message: 'RATE_LIMIT_STORE must be a redis:// (or rediss://) URL such as redis://127.0.0.1:6379',
  })
  RATE_LIMIT_STORE?: string;

  /** Comma-separated origins allowed to call the API from a browser; empty means CORS is off. */
  @Matches(/^(https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*)?$/, { message: 'CORS_ORIGINS must be empty or comma-separated http(s) origins' })
  CORS_ORIGINS: string = '';

  /** Lets tests and benchmarks move this service's clock (PUT /test/clock). Refused in production. */
  @Transform(toBoolean)
  @IsBoolean()
  @ValidateIf((env: BaseEnvironment) => env.NODE_ENV === 'production')
  @Equals(false, { message: 'TEST_CLOCK_ENABLED must not be on when NODE_ENV=production' })
  TEST_CLOCK_ENABLED: boolean = false;
}

export class ConfigurationError extends Error {}

/**
 * Reads and validates the environment into `environmentClass`. On failure the message is one line
 * naming every bad variable, so an operator sees at once what to fix.
 */
export function loadEnvironment<T extends BaseEnvironment>(
  environmentClass: new () => T,
  source: NodeJS.ProcessEnv | Record<string, unknown> = process.env,
): T {
  const relevant: Record<string, unknown> = {};
  const defaults = new environmentClass() as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const instance = plainToInstance(environmentClass, { ...defaults, ...relevant }, { enableImplicitConversion: true });
  const errors = validateSync(instance as object, { skipMissingProperties: false });
  if (errors.length) {
    const problems = errors.map((error) => {
      const given = relevant[error.property];
      const why = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
      return given === undefined ? `${error.property} is not set (${why})` : `${error.property}=${JSON.stringify(given)}: ${why}`;
    });
    throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
  }
  return instance;
}

/** For services' `main.ts`: a bad configuration stops the process with one clear line, not a stack. */
export function loadEnvironmentOrExit<T extends BaseEnvironment>(environmentClass: new () => T): T {
  try {
    return loadEnvironment(environmentClass);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}
