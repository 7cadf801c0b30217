import 'reflect-metadata';
import { KafkaInboxServer } from '@plo/messaging';
import { loadEnvironmentOrExit, startService } from '@plo/platform';
import { CasesModule } from './app.module';
import { CasesEnvironment } from './cases.environment';

async function main() {
  const env = loadEnvironmentOrExit(CasesEnvironment);
  await startService(CasesModule.forRoot(env), env, {
    name: 'cases',
    title: 'Cases service',
    description:
      "The case register: children and each child's statuses, allocation, visits, reviews, plans and their obligations; follows PLO's legal involvement and orders.",
    inboxServer: KafkaInboxServer,
    largeBodies: [{ path: '/history-imports', limitBytes: 32 * 1024 * 1024 }],
  });
}

void main();
