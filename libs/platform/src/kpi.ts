import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Principal } from './auth/principal';

/** A KPI counted as "so many of so many": what the services' KPI tables report. */
export interface Ratio {
  numerator: number;
  denominator: number;
  /** One decimal place; null when there is nothing to count. */
  percent: number | null;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, percent: denominator === 0 ? null : Math.round((1000 * numerator) / denominator) / 10 };
}

export class RatioView implements Ratio {
  @ApiProperty() numerator: number;
  @ApiProperty() denominator: number;
  @ApiProperty({ type: Number, nullable: true, example: 87.5, description: 'One decimal place; null when there is nothing to count' })
  percent: number | null;
}

/**
 * Whose figures a KPI table shows: the caller's own council (another council does not exist for
 * them), all of it for service managers and administrators, and for a team manager one of their own
 * teams, named.
 */
export function kpiScope(
  principal: Principal,
  query: { councilId?: string; teamId?: string },
): { councilId: string; teamId: string | null } {
  const councilId = query.councilId ?? principal.councilId;
  if (councilId !== principal.councilId) throw new NotFoundException(`council ${councilId} does not exist`);
  const wholeCouncil = principal.roles.some((role) => role === 'service-manager' || role === 'administrator');
  if (!wholeCouncil && (query.teamId === undefined || !principal.teamIds.includes(query.teamId))) {
    throw new ForbiddenException('a team manager sees the figures of their own teams: give teamId');
  }
  return { councilId, teamId: query.teamId ?? null };
}
