import 'reflect-metadata';
import { KafkaInboxServer } from '@plo/messaging';
import { loadEnvironmentOrExit, startService } from '@plo/platform';
import { AlertingEnvironment } from './alerting.environment';
import { AlertingModule } from './app.module';

async function main() {
  const env = loadEnvironmentOrExit(AlertingEnvironment);
  await startService(AlertingModule.forRoot(env), env, {
    name: 'alerting',
    title: 'Alerting service',
    description: 'Obligations from every service, drift detection, warnings, escalation and delivery to managers.',
    inboxServer: KafkaInboxServer,
  });
}

void main();
