import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@plo/contracts';
import { MessagingModule, MessagingTables1764100000000 } from '@plo/messaging';
import { databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { AlertingEnvironment } from './alerting.environment';
import { Obligations1764100000300 } from './migrations/1764100000300-obligations';
import { ObligationHandlers } from './obligations.handlers';
import { ObligationsController } from './obligations.controller';

export const ALERTING_MIGRATIONS = [MessagingTables1764100000000, Obligations1764100000300];

@Module({})
export class AlertingModule {
  static forRoot(env: AlertingEnvironment): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(AlertingEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, ALERTING_MIGRATIONS)),
        PlatformModule.forRoot(env),
        MessagingModule.forRoot(env, {
          serviceName: 'alerting',
          produces: [Topics.alertEvents],
          consumes: [Topics.caseEvents, Topics.proceedingsEvents],
        }),
      ],
      controllers: [ObligationHandlers, ObligationsController],
    };
  }
}
