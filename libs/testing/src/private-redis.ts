import { repositoryRoot } from './repository-root';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = repositoryRoot();
const run = promisify(execFile);

/**
 * A Redis server of a test's own, on its own port, that the test may stop and start again without
 * touching the one other tests and services share. Started through scripts/redis.sh, without
 * persistence, so a restart comes back empty.
 */
export class PrivateRedis {
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await this.script('ensure');
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  private async script(command: string) {
    await run(join(ROOT, 'scripts', 'redis.sh'), [command], {
      env: { ...process.env, REDIS_PORT: String(this.port), REDIS_LOCAL_HOME: join(ROOT, '.local', `redis-${this.port}`) },
    });
  }
}
