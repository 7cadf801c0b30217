import { DynamicModule, Module } from '@nestjs/common';
import type { AlertingEnvironment } from './alerting.environment';
import { ALERTING_ENV } from './alerting.tokens';
import { AlertPolicy } from './domain/alert-policy';

/** The council's alerting choices as the environment states them (the service and the rebuild read them alike). */
export function alertPolicyOf(env: AlertingEnvironment): AlertPolicy {
  return AlertPolicy.fromSettings({
    warningLeads: env.ALERT_WARNING_LEADS,
    toTeamManagerWd: env.ALERT_ESCALATE_TO_TEAM_MANAGER_WD,
    toServiceManagerWd: env.ALERT_ESCALATE_TO_SERVICE_MANAGER_WD,
  });
}

/** The validated environment and the alert policy, for every feature module. */
@Module({})
export class AlertingSettingsModule {
  static forRoot(env: AlertingEnvironment): DynamicModule {
    return {
      module: AlertingSettingsModule,
      global: true,
      providers: [
        { provide: ALERTING_ENV, useValue: env },
        { provide: AlertPolicy, useValue: alertPolicyOf(env) },
      ],
      exports: [ALERTING_ENV, AlertPolicy],
    };
  }
}
