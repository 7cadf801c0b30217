import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { Clock, HealthRegistry, MetricsRegistry } from '@plo/platform';
import { londonDateOf } from './london-time';
import { COVERAGE_WARNING_MONTHS, coverageMonthsAhead } from './working-day-calendar';

/**
 * Every date a service computes needs the bank-holiday table to reach far enough ahead: `/health`
 * warns, and a metric shows, how many months it still covers. A service that computes dates imports
 * this module; the rest of the library stays free of Nest.
 */
@Injectable()
class BankHolidayCoverageReporting implements OnModuleInit {
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

@Module({ providers: [BankHolidayCoverageReporting] })
export class BankHolidayCoverageModule {}
