import { Audited, Clock, Roles } from '@plo/platform';
import { Controller, Get, Param, ParseUUIDPipe, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { londonDateOf } from '@plo/timescales';
import { CaseAccessGuard } from '../case/case-access.guard';
import { caseIdParam } from '../case/http';
import { chronologyCsv, chronologyPdf, exportFileName } from './chronology-export';
import { ChronologyService } from './chronology.service';
import { ChronologyView } from './chronology.views';

const childIdParam = () => Param('childId', new ParseUUIDPipe());

/**
 * A child's chronology, and its exports. An export leaves the system (a court bundle, another
 * agency), so each is audited as a disclosure, not a consultation.
 */
@ApiTags('cases')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class ChronologyController {
  constructor(
    private readonly chronology: ChronologyService,
    private readonly clock: Clock,
  ) {}

  @Get(':caseId/children/:childId/chronology')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'chronology', 'caseId')
  @ApiOperation({
    summary:
      "A child's chronology, oldest first: statuses, allocations, visits where the child was seen, reviews held, referrals, significant notes; PLO's legal involvement, orders, hearings, extensions and conclusion; timescales alerting found missed",
  })
  @ApiOkResponse({ type: ChronologyView })
  @ApiNotFoundResponse({ description: 'Unknown case, or the child is not on it' })
  get(@caseIdParam() caseId: string, @childIdParam() childId: string) {
    return this.chronology.of(caseId, childId);
  }

  @Get(':caseId/children/:childId/chronology.csv')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('disclosure', 'chronology', 'caseId')
  @ApiOperation({ summary: "A child's chronology as CSV (date, event, source, significance); audited as a disclosure" })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'An attachment named after the case and the child' })
  @ApiNotFoundResponse({ description: 'Unknown case, or the child is not on it' })
  async csv(@caseIdParam() caseId: string, @childIdParam() childId: string) {
    const chronology = await this.chronology.of(caseId, childId);
    return new StreamableFile(Buffer.from(chronologyCsv(chronology), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${exportFileName(chronology, 'csv')}"`,
    });
  }

  @Get(':caseId/children/:childId/chronology.pdf')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('disclosure', 'chronology', 'caseId')
  @ApiOperation({
    summary: "A child's chronology as PDF: the child, the case reference, the date produced, then the entries; audited as a disclosure",
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'An attachment named after the case and the child' })
  @ApiNotFoundResponse({ description: 'Unknown case, or the child is not on it' })
  async pdf(@caseIdParam() caseId: string, @childIdParam() childId: string) {
    const chronology = await this.chronology.of(caseId, childId);
    return new StreamableFile(await chronologyPdf(chronology, londonDateOf(this.clock.now())), {
      type: 'application/pdf',
      disposition: `attachment; filename="${exportFileName(chronology, 'pdf')}"`,
    });
  }
}
