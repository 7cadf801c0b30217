import 'reflect-metadata';
import { loadEnvironmentOrExit, startService } from '@plo/platform';
import { CasesModule } from './app.module';
import { CasesEnvironment } from './cases.environment';

async function main() {
  const env = loadEnvironmentOrExit(CasesEnvironment);
  await startService(CasesModule.forRoot(env), env, {
    name: 'cases',
    title: 'Cases service',
    description: 'The case register: children, allocation, visits, reviews, plans and their obligations.',
  });
}

void main();
