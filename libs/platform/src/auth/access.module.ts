import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { resolve } from 'node:path';
import { BaseEnvironment } from '../config';
import { AuditController, AuditInterceptor, AuditTrail } from './audit';
import { AuthGuard } from './auth.guard';
import { HostileInputGuard } from './hostile-input.guard';
import { MetricsRegistry } from '../metrics';
import { MemoryRateLimiter, RateLimiter, SharedRateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

/** Authentication, authorisation, rate limiting and the audit trail, for every route of a service. */
@Module({})
export class AccessModule {
  /** `service` names this service's rate-limit buckets in a shared store, apart from the other services'. */
  static forRoot(env: BaseEnvironment, service: string): DynamicModule {
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
        {
          provide: RateLimiter,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry): RateLimiter => {
            if (!env.RATE_LIMIT_STORE) return new MemoryRateLimiter(env.RATE_LIMIT_PER_MINUTE);
            const fallbacks = metrics.counter(
              'rate_limit_store_fallbacks_total',
              'Requests limited by this instance alone because the shared rate-limit store did not answer',
            );
            return new SharedRateLimiter({
              url: env.RATE_LIMIT_STORE,
              perMinute: env.RATE_LIMIT_PER_MINUTE,
              keyPrefix: `${env.KAFKA_NAMESPACE}rate:${service}:`,
              onFallback: () => fallbacks.inc(),
            });
          },
        },
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
