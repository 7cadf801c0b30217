import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { ConfigurationError, toBoolean } from '@plo/platform';

const LOOPBACK_OR_HTTPS = /^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$))/;

/**
 * The console's settings. It holds no case data of its own: only sessions, in its own database.
 * Defaults are local-development values; the README lists every variable.
 */
export class ConsoleEnvironment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt()
  @Min(1)
  @Max(65535)
  HTTP_PORT: number = 3000;

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'DATABASE_URL must be a postgres:// URL naming a database' })
  DATABASE_URL: string = 'postgres://plo:plo@127.0.0.1:5432/plo_console';

  /** Where people reach the console: the OpenID redirect URI is built from it. */
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'CONSOLE_URL must be an origin such as https://console.example.gov.uk (no path)' })
  CONSOLE_URL: string = 'http://127.0.0.1:3000';

  /** The services, called with people's tokens: in production over TLS, unless on this machine. */
  @Matches(/^https?:\/\/[^\s/]+/, { message: 'CASES_URL must be an http(s) URL' })
  CASES_URL: string = 'http://127.0.0.1:3001';

  @Matches(/^https?:\/\/[^\s/]+/, { message: 'PLO_URL must be an http(s) URL' })
  PLO_URL: string = 'http://127.0.0.1:3002';

  @Matches(/^https?:\/\/[^\s/]+/, { message: 'ALERTING_URL must be an http(s) URL' })
  ALERTING_URL: string = 'http://127.0.0.1:3003';

  /**
   * `oidc`: the council's identity provider, authorisation code flow with PKCE. `development`: a page
   * of demo personas, signed with the development keys; refused in production, as the APIs refuse
   * development tokens there.
   */
  @IsIn(['oidc', 'development'])
  @ValidateIf((env: ConsoleEnvironment) => env.NODE_ENV === 'production')
  @Equals('oidc', { message: 'SIGN_IN must be oidc when NODE_ENV=production' })
  SIGN_IN: 'oidc' | 'development' = 'development';

  /** The identity provider's issuer; its discovery document names every endpoint. */
  @ValidateIf((env: ConsoleEnvironment) => env.SIGN_IN === 'oidc')
  @Matches(LOOPBACK_OR_HTTPS, { message: 'OIDC_ISSUER must be an https URL (http only on loopback, for development)' })
  OIDC_ISSUER?: string;

  @ValidateIf((env: ConsoleEnvironment) => env.SIGN_IN === 'oidc')
  @IsString()
  @Matches(/^\S+$/, { message: 'OIDC_CLIENT_ID must be set when SIGN_IN=oidc' })
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** The audience the APIs require in a token (`AUTH_AUDIENCE` of the services). */
  @Matches(/^\S+$/)
  AUTH_AUDIENCE: string = 'plo-api';

  /** Development sign-in: the issuer and keys the services trust in development mode. */
  @IsString()
  AUTH_ISSUER: string = 'urn:plo:dev-issuer';

  @IsString()
  AUTH_DEV_KEYS_FILE: string = '.local/auth/dev-keys.json';

  /** The council whose demo personas the development sign-in page offers. */
  @Matches(/^[a-z0-9-]+$/)
  DEMO_COUNCIL: string = 'demo-council';

  /** A session ends after this long without a request… */
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES: number = 30;

  /** …and after this long whatever happens (a working day). */
  @IsInt()
  @Min(1)
  @Max(24)
  SESSION_ABSOLUTE_HOURS: number = 10;

  /** Secure cookies need HTTPS; only local development runs the console over plain HTTP. */
  @Transform(toBoolean)
  @IsBoolean()
  @ValidateIf((env: ConsoleEnvironment) => env.NODE_ENV === 'production')
  @Equals(true, { message: 'SECURE_COOKIES must be on when NODE_ENV=production' })
  SECURE_COOKIES: boolean = false;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';
}

export function loadConsoleEnvironment(source: NodeJS.ProcessEnv | Record<string, unknown> = process.env): ConsoleEnvironment {
  const relevant: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== '') relevant[key] = value;
  const defaults = new ConsoleEnvironment() as unknown as Record<string, unknown>;
  // Secure cookies are the default everywhere but local development.
  if (relevant.SECURE_COOKIES === undefined && (relevant.NODE_ENV ?? 'development') !== 'development') relevant.SECURE_COOKIES = 'true';
  const env = plainToInstance(ConsoleEnvironment, { ...defaults, ...relevant }, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {})[0] ?? 'is invalid'}`);
  if (env.NODE_ENV === 'production')
    for (const name of ['CASES_URL', 'PLO_URL', 'ALERTING_URL'] as const)
      if (!LOOPBACK_OR_HTTPS.test(env[name])) problems.push(`${name}: must be an https URL in production (http only on loopback)`);
  if (problems.length) {
    throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
  }
  return env;
}
