import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topology } from '@plo/contracts';
import { BankHolidayCoverageModule } from '@plo/timescales/bank-holiday-coverage.module';
import { MessagingModule, serviceMigrations } from '@plo/messaging';
import { AccessModule, databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { AlertingEnvironment } from './alerting.environment';
import { ALERTING_ENV } from './alerting.tokens';
import { AlertEffects } from './alerts/alert-effects';
import { AlertWriter } from './alerts/alert-writer';
import { DeliveryController, DirectoryController } from './api/admin.controller';
import { AlertsController } from './api/alerts.controller';
import { AlertsService } from './api/alerts.service';
import { DeliveryDispatcher } from './delivery/delivery-dispatcher';
import { DeliveryPlanner } from './delivery/delivery-planner';
import { DigestPlanner } from './delivery/digest-planner';
import { WebhookTargetPolicy } from './delivery/webhook-target';
import { AlertPolicy } from './domain/alert-policy';
import { Obligations1764100000300 } from './migrations/1764100000300-obligations';
import { Alerts1764100000310 } from './migrations/1764100000310-alerts';
import { AlertingAccess1764100000320 } from './migrations/1764100000320-access';
import { TimeOrderedIds1764100000330 } from './migrations/1764100000330-time-ordered-ids';
import { InlinedTimeOrderedIds1764100000340 } from './migrations/1764100000340-inlined-time-ordered-ids';
import { ObligationHandlers } from './obligations.handlers';
import { ObligationsController } from './obligations.controller';
import { ProjectionStore } from './projection/projection-store';
import { Projector } from './projection/projector';
import { AlertScheduler } from './scheduling/alert-scheduler';
import { ScheduleListener } from './scheduling/schedule-signal';

export const ALERTING_MIGRATIONS = serviceMigrations([
  Obligations1764100000300,
  Alerts1764100000310,
  AlertingAccess1764100000320,
  TimeOrderedIds1764100000330,
  InlinedTimeOrderedIds1764100000340,
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
        AccessModule.forRoot(env),
        MessagingModule.forRoot(env, Topology.alerting),
      ],
      controllers: [ObligationHandlers, ObligationsController, AlertsController, DirectoryController, DeliveryController],
      providers: [
        { provide: ALERTING_ENV, useValue: env },
        { provide: WebhookTargetPolicy, useValue: new WebhookTargetPolicy(env.WEBHOOK_ALLOW_PRIVATE_TARGETS) },
        {
          provide: AlertPolicy,
          useValue: AlertPolicy.fromSettings({
            warningLeads: env.ALERT_WARNING_LEADS,
            toTeamManagerWd: env.ALERT_ESCALATE_TO_TEAM_MANAGER_WD,
            toServiceManagerWd: env.ALERT_ESCALATE_TO_SERVICE_MANAGER_WD,
          }),
        },
        ProjectionStore,
        Projector,
        AlertWriter,
        AlertEffects,
        DeliveryPlanner,
        DigestPlanner,
        DeliveryDispatcher,
        ScheduleListener,
        AlertScheduler,
        AlertsService,
      ],
      exports: [Projector, AlertScheduler],
    };
  }
}
