import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml, the Dockerfile and infra/postgres/init.sql must agree with each other and with
 * the services' own configuration defaults. No Docker engine is needed: the files are parsed.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Node = Record<string, any>;

const compose = parse(read('docker-compose.yml')) as Node;
const services = (compose.services ?? {}) as Record<string, Node>;
const dockerfile = read('Dockerfile');
const initSql = read('infra/postgres/init.sql');

/** The services on Kafka; the console only calls their HTTP APIs. */
const APP_SERVICES = ['cases', 'plo', 'alerting'];
const CONSOLE = 'console';
const INFRA_SERVICES = ['kafka', 'postgres'];
/** Holds only rate-limit buckets: no volume, and the services start without it (they limit per instance). */
const RATE_LIMIT_STORE = 'redis';

/** Compose accepts `environment` as a map or as a list of NAME=value. */
function environmentOf(service: Node): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const equals = entry.indexOf('=');
        return equals < 0 ? [entry, ''] : [entry.slice(0, equals), entry.slice(equals + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
}

/** Defaults each service uses when run outside containers: apps/<name>/src/*.environment.ts. */
function environmentDefaults(app: string): { database: string; port: number } {
  const dir = join(ROOT, 'apps', app, 'src');
  const file = readdirSync(dir).find((name) => name.endsWith('.environment.ts'));
  if (!file) throw new Error(`apps/${app}/src has no *.environment.ts`);
  const source = readFileSync(join(dir, file), 'utf8');
  // `DATABASE_URL = '…'` or `DATABASE_URL: string = '…'`
  const database = /\bDATABASE_URL\s*(?::[^=;]+)?=\s*['"`]postgres(?:ql)?:\/\/[^'"`]*\/([A-Za-z0-9_]+)/.exec(source)?.[1];
  const port = /\bHTTP_PORT\s*(?::[^=;]+)?=\s*(\d+)/.exec(source)?.[1];
  if (!database || !port) throw new Error(`cannot read the DATABASE_URL or HTTP_PORT default from apps/${app}/src/${file}`);
  return { database, port: Number(port) };
}

function databaseUrl(url: string) {
  const match = /^postgres(?:ql)?:\/\/([^:@/]+):([^@/]+)@([^:/]+):(\d+)\/([A-Za-z0-9_]+)$/.exec(url);
  if (!match) throw new Error(`not a postgres URL with credentials, host, port and database: ${url}`);
  return { user: match[1], password: match[2], host: match[3], port: Number(match[4]), database: match[5] };
}

function initSqlDatabases(): { name: string; owner: string }[] {
  return [...initSql.matchAll(/CREATE\s+DATABASE\s+"?([A-Za-z0-9_]+)"?\s+(?:WITH\s+)?OWNER\s*=?\s*"?([A-Za-z0-9_]+)"?/gi)].map((m) => ({
    name: m[1],
    owner: m[2],
  }));
}

/** The image of every FROM, with `ARG` defaults substituted. */
function baseImages(): string[] {
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/gm)].map((m) => [m[1], m[2]]));
  return [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)].map((m) =>
    m[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? `<unset ${name}>`),
  );
}

/** `docker compose` only counts if it really runs here: no engine is needed for `config`. */
const composeAvailable = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 15_000 }).status === 0;

describe('docker-compose.yml', () => {
  it('has Kafka, PostgreSQL, Redis, the three services and the console', () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA_SERVICES, RATE_LIMIT_STORE, ...APP_SERVICES, CONSOLE].sort());
  });

  it("shares each service's rate limits between its instances through Redis", () => {
    for (const app of APP_SERVICES)
      expect({ app, store: environmentOf(services[app]).RATE_LIMIT_STORE }).toEqual({ app, store: 'redis://redis:6379' });
  });

  it('starts the console once the services are healthy, calling them inside the network, on its own database', () => {
    const consoleService = services[CONSOLE];
    const environment = environmentOf(consoleService);
    for (const app of APP_SERVICES) expect(consoleService.depends_on?.[app]?.condition).toBe('service_healthy');
    expect(environment.SERVICE).toBe(CONSOLE);
    expect([environment.CASES_URL, environment.PLO_URL, environment.ALERTING_URL]).toEqual(
      APP_SERVICES.map((app) => `http://${app}:${environmentDefaults(app).port}`),
    );
    const { port, database } = environmentDefaults(CONSOLE);
    expect(databaseUrl(environment.DATABASE_URL).database).toBe(database);
    expect((consoleService.ports ?? []).map(String)).toContain(`${port}:${port}`);
    expect(JSON.stringify(consoleService.healthcheck.test)).toContain(`127.0.0.1:${port}/health`);
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.anything() });
      expect({ name, disabled: service.healthcheck?.disable ?? false }).toEqual({ name, disabled: false });
    }
  });

  it('gives its data stores named volumes', () => {
    const named = Object.keys(compose.volumes ?? {});
    for (const name of INFRA_SERVICES) {
      const mounts = (services[name].volumes ?? []).map((mount: string | Node) =>
        typeof mount === 'string' ? mount.split(':')[0] : mount.source,
      );
      expect({ name, dataVolume: mounts.some((source: string) => named.includes(source)) }).toEqual({ name, dataVolume: true });
    }
  });

  describe.each(APP_SERVICES)('%s', (app) => {
    const service = () => services[app];
    const environment = () => environmentOf(service());

    it('starts only once Kafka and PostgreSQL are healthy', () => {
      for (const dependency of INFRA_SERVICES) {
        expect(service().depends_on?.[dependency]?.condition).toBe('service_healthy');
      }
    });

    it('is built from the Dockerfile and selects its own entry point', () => {
      const build = service().build;
      const context = typeof build === 'string' ? build : build?.context;
      const file = (typeof build === 'object' && build?.dockerfile) || 'Dockerfile';
      expect(context).toBe('.');
      expect(file).toBe('Dockerfile');
      expect(environment().SERVICE).toBe(app);
      expect(existsSync(join(ROOT, 'apps', app, 'src', 'main.ts'))).toBe(true);
    });

    it('uses its own database, the compose Kafka, and listens on all interfaces', () => {
      const url = databaseUrl(environment().DATABASE_URL ?? '');
      expect(url.host).toBe('postgres');
      expect(url.port).toBe(5432);
      expect(url.database).toBe(environmentDefaults(app).database);
      expect(environment().KAFKA_BROKERS).toBe('kafka:9092');
      expect(environment().HTTP_HOST).toBe('0.0.0.0');
    });

    it('publishes its default HTTP port and checks /health on it', () => {
      const { port } = environmentDefaults(app);
      expect(Number(environment().HTTP_PORT ?? port)).toBe(port);
      expect((service().ports ?? []).map(String)).toContain(`${port}:${port}`);
      expect(JSON.stringify(service().healthcheck.test)).toContain(`127.0.0.1:${port}/health`);
      expect(service().restart).toBe('unless-stopped');
    });
  });

  it('creates exactly the databases the services use, owned by the role they log in as', () => {
    const fromCompose = [...APP_SERVICES, CONSOLE].map((app) => databaseUrl(environmentOf(services[app]).DATABASE_URL));
    const fromDefaults = [...APP_SERVICES, CONSOLE].map((app) => environmentDefaults(app).database);
    const created = initSqlDatabases();
    expect(created.map((db) => db.name).sort()).toEqual(fromCompose.map((url) => url.database).sort());
    expect(created.map((db) => db.name).sort()).toEqual([...fromDefaults].sort());
    for (const url of fromCompose) {
      expect(created.find((db) => db.name === url.database)?.owner).toBe(url.user);
      expect(initSql).toMatch(new RegExp(`CREATE\\s+ROLE\\s+"?${url.user}"?\\s+(WITH\\s+)?LOGIN\\s+PASSWORD\\s+'${url.password}'`, 'i'));
    }
    const mounts: string[] = (services.postgres.volumes ?? []).map(String);
    expect(mounts.some((mount) => /^\.\/infra\/postgres\/init\.sql:\/docker-entrypoint-initdb\.d\/[^:]+\.sql(:ro)?$/.test(mount))).toBe(
      true,
    );
  });

  it('checks PostgreSQL with pg_isready', () => {
    expect(JSON.stringify(services.postgres.healthcheck.test)).toContain('pg_isready');
    expect(services.postgres.image).toMatch(/^postgres:17(\b|$)/);
  });

  it('runs the Kafka version infra/kafka/pom.xml pins, as a single KRaft node without topic auto-creation', () => {
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('infra/kafka/pom.xml'))?.[1];
    expect(version).toBeDefined();
    expect(services.kafka.image).toBe(`apache/kafka:${version}`);
    const env = environmentOf(services.kafka);
    expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS).toBe('0');
    // What the services are told (KAFKA_BROKERS) must be what the broker advertises inside the network.
    expect(env.KAFKA_ADVERTISED_LISTENERS.split(',')).toEqual(
      expect.arrayContaining(['PLAINTEXT://kafka:9092', 'EXTERNAL://localhost:29092']),
    );
    expect(env.KAFKA_LISTENERS.split(',')).toEqual(
      expect.arrayContaining(['PLAINTEXT://:9092', 'CONTROLLER://:9093', 'EXTERNAL://:29092']),
    );
    expect((services.kafka.ports ?? []).map(String)).toContain('29092:29092');
    expect(JSON.stringify(services.kafka.healthcheck.test)).toContain('kafka-broker-api-versions.sh --bootstrap-server localhost:9092');
  });

  if (composeAvailable) {
    it('is accepted by `docker compose config`', () => {
      const result = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    });
  }
});

describe('Dockerfile', () => {
  it('builds on Node 24 (bookworm-slim) in every stage', () => {
    const images = baseImages();
    expect(images.length).toBeGreaterThanOrEqual(2); // multi-stage
    for (const image of images) expect(image).toBe('node:24-bookworm-slim');
  });

  it('installs with npm ci, builds with scripts/build.sh, prunes dev dependencies and runs as node', () => {
    expect(dockerfile).toMatch(/^RUN\s+npm ci\b/m);
    expect(dockerfile).toMatch(/bash scripts\/build\.sh/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(/^HEALTHCHECK\b[\s\S]*fetch\([\s\S]*\/health/m);
    const instructions = dockerfile.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(instructions.join('\n')).not.toMatch(/\bcurl\b/);
  });

  it('starts dist/apps/$SERVICE/src/main.js for exactly the services that have an entry point', () => {
    expect(dockerfile).toMatch(/node [^\n]*dist\/apps\/\$\{?SERVICE\}?\/src\/main\.js/);
    const accepted = /case\s+\\?"\$SERVICE\\?"\s+in\s+([a-z|-]+)\)/.exec(dockerfile)?.[1].split('|') ?? [];
    const withEntryPoint = readdirSync(join(ROOT, 'apps')).filter((app) => existsSync(join(ROOT, 'apps', app, 'src', 'main.ts')));
    expect(accepted.sort()).toEqual(withEntryPoint.sort());
    expect([...APP_SERVICES, CONSOLE].sort()).toEqual(withEntryPoint.sort());
  });

  it('has a .dockerignore that keeps local state out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', '.local', '.git', 'coverage', 'bench/results']) expect(ignored).toContain(entry);
  });
});
