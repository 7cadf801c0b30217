import { Controller, Get, HttpStatus, Injectable, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './auth/access.decorators';
import type { FastifyReply } from 'fastify';

export interface HealthCheckResult {
  status: 'up' | 'down' | 'warn';
  detail?: string;
}

export type HealthCheck = () => Promise<HealthCheckResult>;

/** Modules register what they depend on; `/health` is down when any dependency is down. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck) {
    this.checks.set(name, check);
  }

  async run(): Promise<{ status: 'up' | 'down'; checks: Record<string, HealthCheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await withTimeout(check(), 3000)] as const;
        } catch (error) {
          return [name, { status: 'down', detail: (error as Error).message } as HealthCheckResult] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.some(([, result]) => result.status === 'down') ? 'down' : 'up';
    return { status, checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Load balancers and orchestrators ask without credentials; it reveals no case data. */
@Public()
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Get('health')
  async check(@Res() response: FastifyReply) {
    const report = await this.health.run();
    response.status(report.status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(report);
  }
}
