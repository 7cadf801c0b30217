// The fuzzer at scale: generated requests for every operation of every service, hostile and
// valid-looking, as six personas, against a stack of its own; ends with a summary of figures.
//
//   npm run fuzz                         (ensures Kafka and Postgres, builds, runs 100 000 requests)
//   FUZZ_REQUESTS=20000 npm run fuzz     how many requests
//   FUZZ_SEED=1234 npm run fuzz          replay a run (the seed is printed at the start and the end)
//   FUZZ_MINUTES=30                      stop after this long whatever the count (default 60)
// Exits non-zero on any 5xx, internals shown, missing answer, write after a 4xx or 403 leak.
import { ServiceName, TestStack } from '@plo/testing';
import { fetchOperations, prepareWorld, runCampaign, summary } from './campaign';

async function main() {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  const requests = Number(process.env.FUZZ_REQUESTS ?? 100_000);
  const minutes = Number(process.env.FUZZ_MINUTES ?? 60);
  const log = (line: string) => console.error(`[fuzz ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`seed ${seed}, ${requests} requests, at most ${minutes} minutes`);
  const stack = new TestStack();
  const stop = async () => {
    await stack.stop().catch((error) => log(`stopping the stack: ${String(error)}`));
  };
  // Ctrl-C still stops the service processes and drops the databases.
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    // Minting first creates the development key file, before any service reads it.
    await stack.token({ subject: 'fuzz', councilId: 'none', roles: [] });
    const urls = {} as Record<ServiceName, string>;
    const logs = {} as Record<ServiceName, () => string>;
    for (const name of ['cases', 'plo', 'alerting'] as const) {
      const service = await stack.service(name).start();
      urls[name] = service.url;
      logs[name] = () => service.logs;
    }
    const operations = await fetchOperations(urls);
    log(`${operations.length} operations in the OpenAPI documents`);
    const { world, personas } = await prepareWorld({ stack, urls }, log);
    const result = await runCampaign({ stack, urls, logs }, world, personas, operations, {
      seed,
      requests,
      timeLimitMs: minutes * 60_000,
      log,
    });
    console.log(summary(result));
    const failed =
      result.serverErrors.length +
      result.internalsShown.length +
      result.noAnswer.length +
      result.writesAfter4xx.length +
      result.leaks.length;
    process.exitCode = failed ? 1 : 0;
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
