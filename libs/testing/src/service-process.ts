import { repositoryRoot } from './repository-root';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = repositoryRoot();

export type ServiceName = 'cases' | 'plo' | 'alerting';
/** Every app that runs as a process: the three services and the console. */
export type AppName = ServiceName | 'console';

/**
 * A service running as a real process from `dist/` (built by `npm test`), so tests can SIGKILL it
 * and restart it exactly as production would experience it.
 */
export class ServiceProcess<Name extends AppName = AppName> {
  private child?: ChildProcess;
  private output = '';
  exitCode: number | null = null;

  constructor(
    readonly name: Name,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return Number(this.env.HTTP_PORT);
  }

  /** The operating system's id of the running process (benchmarks sample its CPU time). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Started and not yet exited. */
  get running(): boolean {
    return this.child !== undefined && this.exitCode === null;
  }

  get logs(): string {
    return this.output;
  }

  async start(options: { waitHealthy?: boolean; healthyTimeoutMs?: number } = {}): Promise<this> {
    const entry = join(ROOT, 'dist', 'apps', this.name, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm test builds)`);
    this.exitCode = null;
    // Started as scripts/services.sh and the Dockerfile start them, heap cap included: without one,
    // V8 on a large machine lets garbage pile up to hundreds of MB before a full collection.
    // SERVICE_NODE_FLAGS adds V8/Node flags for one run (a profile: `--cpu-prof --cpu-prof-dir=...`).
    const extraFlags = (process.env.SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', `--max-old-space-size=${process.env.SERVICE_HEAP_MIB ?? 192}`, ...extraFlags, entry],
      {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : null);
    });
    if (options.waitHealthy !== false) await this.waitHealthy(options.healthyTimeoutMs);
    return this;
  }

  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== null) throw new Error(`${this.name} exited with ${this.exitCode} while starting:\n${this.output.slice(-4000)}`);
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await delay(200);
    }
    throw new Error(`${this.name} did not become healthy within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
  }

  /** Resolves when the process has exited. */
  async exited(): Promise<number | null> {
    if (!this.child || this.exitCode !== null) return this.exitCode;
    await new Promise((resolve) => this.child!.once('exit', resolve));
    return this.exitCode;
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.child || this.exitCode !== null) return;
    const exited = this.exited();
    this.child.kill(signal);
    await exited;
  }
}

export function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value that satisfies `done`, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await delay(200);
  }
  throw new Error(
    `timed out waiting for ${what}; last value: ${JSON.stringify(last)}${lastError ? `; last error: ${String(lastError)}` : ''}`,
  );
}
