import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { COVERAGE_WARNING_MONTHS, coverageMonthsAhead, londonDateOf } from '@plo/timescales';
import { Clock, TestClockController } from './clock';
import { BaseEnvironment } from './config';
import { HealthController, HealthRegistry } from './health';
import { MetricsController, MetricsRegistry } from './metrics';

/** Every date this service computes needs the bank-holiday table to reach far enough ahead. */
@Injectable()
class CalendarCoverageReporting implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit() {
    const monthsAhead = () => coverageMonthsAhead(londonDateOf(this.clock.now()));
    this.health.register('bank-holidays', async () => {
      const months = monthsAhead();
      return months >= COVERAGE_WARNING_MONTHS
        ? { status: 'up', detail: `table covers ${months} months ahead` }
        : { status: 'warn', detail: `table covers only ${months} months ahead; add the next year's bank holidays (BANK_HOLIDAYS_FILE)` };
    });
    this.metrics.gauge('bank_holiday_coverage_months', 'Whole months ahead that the bank-holiday table covers', [], (gauge) => {
      gauge.set(monthsAhead());
    });
  }
}

@Module({})
export class PlatformModule {
  static forRoot(env: BaseEnvironment): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController, ...(env.TEST_CLOCK_ENABLED ? [TestClockController] : [])],
      providers: [HealthRegistry, MetricsRegistry, { provide: Clock, useValue: new Clock(env.TEST_CLOCK_ENABLED) }, CalendarCoverageReporting],
      exports: [HealthRegistry, MetricsRegistry, Clock],
    };
  }
}
