import { BadRequestException, Body, Controller, Get, HttpCode, HttpException, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles, Scopes } from '@plo/platform';
import { CSV_COLUMNS, importCourtCsv } from './court-csv-import';
import { DismissExceptionDto, HmcHearingUpdateMessageBody } from './court-feed.dto';
import { CourtFeedService, CourtSender } from './court-feed.service';
import { CourtUpdateExceptionView, CourtUpdateOutcomeView, CourtUpdateRetryView, CsvImportView } from './court-feed.views';

const MAX_CSV_BYTES = 5 * 1024 * 1024;
const PROBLEM = { $ref: '#/components/schemas/Problem' };

function senderOf(principal: Principal): CourtSender {
  return { actor: actorOf(principal), councilId: principal.councilId };
}

/** Court systems (scope hearings:write) send updates; the council's legal team may too, and resolves what could not be applied. */
@ApiTags('court integration')
@ApiBearerAuth()
@Roles('legal')
@Controller('court')
export class CourtFeedController {
  constructor(private readonly court: CourtFeedService) {}

  @Post('hearing-updates')
  @Scopes('hearings:write')
  @Audited('alteration', 'court-hearing-update')
  @HttpCode(200)
  @ApiOperation({ summary: "Apply one HMC hearing update (the Kafka topic's message, posted over HTTP)" })
  @ApiBody({ type: HmcHearingUpdateMessageBody })
  @ApiOkResponse({ type: CourtUpdateOutcomeView, description: 'Applied, or why nothing changed (duplicate, stale, no change)' })
  @ApiUnprocessableEntityResponse({
    schema: PROBLEM,
    description: 'Well-formed but not applicable (e.g. unknown court case number); listed as exception `exceptionId`',
  })
  async update(@Body() body: Record<string, unknown> | undefined, @CurrentPrincipal() principal: Principal) {
    // No body at all is not an update the court sent: nothing to keep on the exceptions list.
    if (body === undefined) throw new BadRequestException({ statusCode: 400, message: 'send the hearing update as a JSON object' });
    const result = await this.court.applyOffered(body, 'http', senderOf(principal));
    if (result.outcome !== 'rejected') return result;
    // Malformed is the sender's to fix (400); a well-formed update we cannot match or apply is 422.
    const status = result.malformed ? 400 : 422;
    throw new HttpException({ statusCode: status, message: result.reason, exceptionId: result.exceptionId }, status);
  }

  @Post('hearing-updates/import')
  @Scopes('hearings:write')
  @Audited('alteration', 'court-hearing-update')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', description: 'A header line naming the columns, then one update a row' } })
  @ApiOkResponse({ type: CsvImportView })
  @ApiPayloadTooLargeResponse({ schema: PROBLEM, description: `The file is larger than ${MAX_CSV_BYTES} bytes; split it` })
  @ApiOperation({
    summary: `Import HMC hearing updates from CSV (columns: ${CSV_COLUMNS.join(', ')}); valid rows are applied, bad rows reported`,
  })
  async importCsv(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal) {
    if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) throw new BadRequestException('send the file as text/csv');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request.raw as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_CSV_BYTES)
        throw new HttpException({ statusCode: 413, message: `the file is larger than ${MAX_CSV_BYTES} bytes; split it` }, 413);
      chunks.push(chunk);
    }
    const result = await importCourtCsv(Buffer.concat(chunks).toString('utf8'), this.court, senderOf(principal));
    if (!result.valid) throw new BadRequestException({ statusCode: 400, message: result.problem });
    return result;
  }

  @Get('exceptions')
  @Roles('legal', 'administrator')
  @Audited('consultation', 'court-update-exception')
  @ApiOperation({
    summary: 'Court updates that could not be applied (unknown case number, malformed, unexpected), for legal staff to resolve',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'resolved', 'all'], description: 'open unless given' })
  @ApiOkResponse({ type: [CourtUpdateExceptionView] })
  exceptions(@CurrentPrincipal() principal: Principal, @Query('status') status: 'open' | 'resolved' | 'all' = 'open') {
    if (!['open', 'resolved', 'all'].includes(status))
      throw new BadRequestException({
        statusCode: 400,
        message: 'validation failed',
        fields: [{ field: 'status', messages: ['status must be open, resolved or all'] }],
      });
    return this.court.exceptions(status, principal.councilId);
  }

  @Post('exceptions/:id/retry')
  @Audited('alteration', 'court-update-exception', 'id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply the update again (e.g. once the proceedings are recorded); resolved if it applies' })
  @ApiOkResponse({ type: CourtUpdateRetryView })
  retry(@Param('id', ParseIntPipe) id: number, @CurrentPrincipal() principal: Principal) {
    return this.court.retry(id, senderOf(principal));
  }

  @Post('exceptions/:id/dismiss')
  @Audited('alteration', 'court-update-exception', 'id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss an update that will not be applied, with a note saying why; it leaves the open list' })
  @ApiOkResponse({ type: CourtUpdateExceptionView, description: 'The exception, now resolved' })
  dismiss(@Param('id', ParseIntPipe) id: number, @Body() body: DismissExceptionDto, @CurrentPrincipal() principal: Principal) {
    return this.court.dismiss(id, body.note, senderOf(principal));
  }
}
