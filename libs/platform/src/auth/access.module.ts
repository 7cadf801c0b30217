import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { resolve } from 'node:path';
import { BaseEnvironment } from '../config';
import { AuditController, AuditInterceptor, AuditTrail } from './audit';
import { AuthGuard } from './auth.guard';
import { HostileInputGuard } from './hostile-input.guard';
import { RateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

/** Authentication, authorisation, rate limiting and the audit trail, for every route of a service. */
@Module({})
export class AccessModule {
  static forRoot(env: BaseEnvironment): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      controllers: [AuditController],
      providers: [
        {
          provide: TokenVerifier,
          useValue: new TokenVerifier({
            mode: env.AUTH_MODE,
            issuer: env.AUTH_ISSUER,
            audience: env.AUTH_AUDIENCE,
            jwksUrl: env.AUTH_JWKS_URL,
            clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
            developmentKeysFile: resolve(env.AUTH_DEV_KEYS_FILE),
          }),
        },
        { provide: RateLimiter, useValue: new RateLimiter(env.RATE_LIMIT_PER_MINUTE) },
        AuditTrail,
        // In this order: who is calling, then what they sent (so a refusal of hostile input is audited with its caller).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: HostileInputGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      exports: [AuditTrail],
    };
  }
}
