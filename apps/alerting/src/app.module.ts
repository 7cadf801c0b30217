import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topology } from '@plo/contracts';
import { BankHolidayCoverageModule } from '@plo/timescales/bank-holiday-coverage.module';
import { MessagingModule, serviceMigrations } from '@plo/messaging';
import { AccessModule, databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { AlertingEnvironment } from './alerting.environment';
import { AlertingSettingsModule } from './alerting-settings.module';
import { AlertsModule } from './alerts/alerts.module';
import { DeliveryModule } from './delivery/delivery.module';
import { DirectoryModule } from './directory/directory.module';
import { Obligations1764100000300 } from './migrations/1764100000300-obligations';
import { Alerts1764100000310 } from './migrations/1764100000310-alerts';
import { AlertingAccess1764100000320 } from './migrations/1764100000320-access';
import { TimeOrderedIds1764100000330 } from './migrations/1764100000330-time-ordered-ids';
import { InlinedTimeOrderedIds1764100000340 } from './migrations/1764100000340-inlined-time-ordered-ids';
import { OneTruthPerChild1764100000600 } from './migrations/1764100000600-one-truth-per-child';
import { TeamDirectoryPerCouncil1764100000610 } from './migrations/1764100000610-team-directory-per-council';
import { ObligationsModule } from './obligations/obligations.module';
import { SchedulingModule } from './scheduling/scheduling.module';

export const ALERTING_MIGRATIONS = serviceMigrations([
  Obligations1764100000300,
  Alerts1764100000310,
  AlertingAccess1764100000320,
  TimeOrderedIds1764100000330,
  InlinedTimeOrderedIds1764100000340,
  OneTruthPerChild1764100000600,
  TeamDirectoryPerCouncil1764100000610,
]);

@Module({})
export class AlertingModule {
  static forRoot(env: AlertingEnvironment): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(AlertingEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, ALERTING_MIGRATIONS)),
        PlatformModule.forRoot(env),
        BankHolidayCoverageModule,
        AccessModule.forRoot(env, 'alerting'),
        MessagingModule.forRoot(env, Topology.alerting),
        AlertingSettingsModule.forRoot(env),
        ObligationsModule,
        AlertsModule,
        DirectoryModule,
        DeliveryModule,
        SchedulingModule,
      ],
      exports: [ObligationsModule, SchedulingModule],
    };
  }
}
