import { DynamicModule, Module } from '@nestjs/common';
import { Clock, TestClockController } from './clock';
import { BaseEnvironment } from './config';
import { HealthController, HealthRegistry } from './health';
import { MetricsController, MetricsRegistry } from './metrics';

@Module({})
export class PlatformModule {
  static forRoot(env: BaseEnvironment): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController, ...(env.TEST_CLOCK_ENABLED ? [TestClockController] : [])],
      providers: [HealthRegistry, MetricsRegistry, { provide: Clock, useValue: new Clock(env.TEST_CLOCK_ENABLED) }],
      exports: [HealthRegistry, MetricsRegistry, Clock],
    };
  }
}
