import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, on its own port, that the test may crash (restart in
 * immediate mode) without disturbing the server every other test uses. Runs as the `postgres` user
 * when started by root, because the server refuses to run as root.
 */
export class PrivatePostgres {
  private dataFolder?: string;

  constructor(
    readonly port: number,
    private readonly name = `pg-fault-${port}`,
  ) {}

  /**
   * Under the system's temporary folder, not the repository: the server runs as `postgres`, which
   * may not be allowed into a checkout that only its owner can enter (a `mktemp -d` clone, say).
   */
  private get data(): string {
    this.dataFolder ??= mkdtempSync(join(tmpdir(), `plo-${this.name}-`));
    return this.dataFolder;
  }

  /** An administrative login, for TestStack's `postgresAdminUrl`. */
  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    if (!existsSync(join(this.data, 'PG_VERSION'))) {
      if (process.getuid?.() === 0) chownSync(this.data, idOf('-u'), idOf('-g'));
      await this.pg('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    }
    await this.pg('pg_ctl', ['-D', this.data, '-w', '-l', join(this.data, 'server.log'), '-o', this.serverOptions(), 'start']);
  }

  /** A crash: every backend is killed without a checkpoint and the server recovers from its WAL. */
  async restartImmediately(): Promise<void> {
    await this.pg('pg_ctl', [
      '-D',
      this.data,
      '-w',
      '-m',
      'immediate',
      '-l',
      join(this.data, 'server.log'),
      '-o',
      this.serverOptions(),
      'restart',
    ]);
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid'))) await this.pg('pg_ctl', ['-D', this.data, '-w', '-m', 'immediate', 'stop']);
    rmSync(this.data, { recursive: true, force: true });
    this.dataFolder = undefined;
  }

  private serverOptions() {
    return `-p ${this.port} -k ${this.data} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  }

  private async pg(program: string, args: string[]) {
    const binary = join(postgresBinaries(), program);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: '/' });
    else await run(binary, args);
  }
}

/** PG_BIN, else the newest server installed the Debian way. */
function postgresBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  if (!versions.length) throw new Error('no PostgreSQL server binaries found: install PostgreSQL or set PG_BIN');
  return join('/usr/lib/postgresql', versions.at(-1)!, 'bin');
}

function idOf(which: '-u' | '-g'): number {
  return Number(execFileSync('id', [which, 'postgres']).toString());
}
