import { repositoryRoot } from './repository-root';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = repositoryRoot();
const run = promisify(execFile);

/**
 * A Kafka broker of a test's own, on its own ports, that the test may SIGKILL and restart without
 * disturbing the shared broker other tests use. Reuses the jars scripts/kafka.sh already fetched.
 */
export class PrivateBroker {
  private readonly home: string;

  constructor(
    readonly port: number,
    name = `fault-${port}`,
  ) {
    this.home = join(ROOT, '.local', name);
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const sharedJars = join(ROOT, '.local', 'kafka', 'lib');
    mkdirSync(this.home, { recursive: true });
    if (existsSync(join(sharedJars, '.complete')) && !existsSync(join(this.home, 'lib'))) symlinkSync(sharedJars, join(this.home, 'lib'));
    await this.script('ensure');
  }

  async kill(): Promise<void> {
    await this.script('kill');
  }

  /** Stops the broker and deletes its data. */
  async destroy(): Promise<void> {
    await this.script('reset');
  }

  private async script(command: string) {
    await run(join(ROOT, 'scripts', 'kafka.sh'), [command], {
      env: {
        ...process.env,
        KAFKA_LOCAL_HOME: this.home,
        KAFKA_LOCAL_PORT: String(this.port),
        KAFKA_LOCAL_CONTROLLER_PORT: String(this.port + 1),
      },
    });
  }
}
