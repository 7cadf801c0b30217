import 'reflect-metadata';
import { KafkaInboxServer } from '@plo/messaging';
import { loadEnvironmentOrExit, startService } from '@plo/platform';
import { PloModule } from './app.module';
import { PloEnvironment } from './plo.environment';

async function main() {
  const env = loadEnvironmentOrExit(PloEnvironment);
  await startService(PloModule.forRoot(env), env, {
    name: 'plo',
    title: 'PLO stages service',
    description: 'Pre-proceedings, proceedings, per-child 26-week clocks, hearings, extensions and the court timetable.',
    inboxServer: KafkaInboxServer,
  });
}

void main();
