import { Module } from '@nestjs/common';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryPlanner } from './delivery-planner';
import { DeliveryController } from './delivery.controller';
import { DeliveryStore } from './delivery.store';
import { DigestPlanner } from './digest-planner';
import { WebhookTargetPolicy } from './webhook-target';

@Module({
  controllers: [DeliveryController],
  providers: [
    {
      provide: WebhookTargetPolicy,
      inject: [ALERTING_ENV],
      useFactory: (env: AlertingEnvironment) => new WebhookTargetPolicy(env.WEBHOOK_ALLOW_PRIVATE_TARGETS),
    },
    DeliveryStore,
    DeliveryPlanner,
    DigestPlanner,
    DeliveryDispatcher,
  ],
  exports: [DeliveryStore, DeliveryPlanner, DigestPlanner],
})
export class DeliveryModule {}
