import { Body, Controller, Get, Injectable, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional } from 'class-validator';
import { Roles } from './auth/access.decorators';

/**
 * The one source of "now" for every service, so that tests and benchmarks can cross a midnight
 * without waiting for it. Production uses the system clock; the adjustable one exists only when
 * TEST_CLOCK_ENABLED is on, which configuration refuses in production.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  constructor(readonly adjustable = false) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves this process's "now" to `instant` (and keeps it running from there). */
  setTo(instant: Date) {
    this.assertAdjustable();
    this.offsetMs = instant.getTime() - Date.now();
  }

  advance(ms: number) {
    this.assertAdjustable();
    this.offsetMs += ms;
  }

  private assertAdjustable() {
    if (!this.adjustable) throw new Error('the clock is only adjustable with TEST_CLOCK_ENABLED=true outside production');
  }
}

export class AdjustClockDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Move "now" to this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Then move it on by this many milliseconds' })
  @IsOptional()
  @IsInt()
  advanceMs?: number;
}

export class ClockReading {
  @ApiProperty({ format: 'date-time', description: 'This service’s "now"' }) now: string;
}

/** Registered only when the test clock is enabled; otherwise the route does not exist (404). */
@ApiTags('test support')
@Roles('administrator')
@Controller('test/clock')
export class TestClockController {
  constructor(private readonly clock: Clock) {}

  @Get()
  @ApiOperation({ summary: 'Read this service’s clock (test and benchmark deployments only)' })
  @ApiOkResponse({ type: ClockReading })
  read(): ClockReading {
    return { now: this.clock.now().toISOString() };
  }

  @Put()
  @ApiOperation({ summary: 'Set or advance this service’s clock (test and benchmark deployments only)' })
  @ApiOkResponse({ type: ClockReading })
  adjust(@Body() body: AdjustClockDto) {
    if (body.at) this.clock.setTo(new Date(body.at));
    if (body.advanceMs) this.clock.advance(body.advanceMs);
    return this.read();
  }
}
