import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CouncilParams, CouncilRuleParams, OverrideRuleDto, PreviewRuleChangeDto, ResetRuleDto } from './council-rules.dto';
import { CouncilRulesService } from './council-rules.service';
import { ApiWrite, ETAG_HEADER, withETag } from '../case/http';
import { ChangedRuleView, EffectiveRulesView, RuleChangePreviewView, RuleChangeView } from './council-rules.views';

const RECOMPUTED =
  "Takes effect for due dates computed from now on, and recomputes the council's open obligations the rule governs: each is counted again from the day it was counted from and moved under its own id (obligation-scheduled); the response and the history say how many moved. Preview first with POST …/{ruleId}/preview.";
const OVER_LIMIT =
  'The override would run past the national limit on the same duty: the body names the limit (`limit`) and its source, and `fields` the fields';

@ApiTags('council rules')
@UseGuards(CaseAccessGuard)
@Controller('councils/:councilId/rules')
export class CouncilRulesController {
  constructor(private readonly rules: CouncilRulesService) {}

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @ApiOperation({
    summary:
      "The council's effective timescale rules: every rule with its current period, kind, source, verify flag and whether the council changed it; ETag = rule-set version",
  })
  @ApiOkResponse({ type: EffectiveRulesView, headers: ETAG_HEADER })
  async effective(@Param() { councilId }: CouncilParams, @Res({ passthrough: true }) response: FastifyReply) {
    return withETag(response, await this.rules.effective(councilId));
  }

  @Get('history')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @ApiOperation({ summary: "Every change of the council's rules, newest first: who, when, from what to what, and why" })
  @ApiOkResponse({ type: [RuleChangeView] })
  history(@Param() { councilId }: CouncilParams) {
    return this.rules.history(councilId);
  }

  @Put(':ruleId')
  @Roles('administrator')
  @ApiOperation({
    summary: `Override a LOCAL rule's offset, unit and/or counting (fields left out keep the national value). ${RECOMPUTED}`,
  })
  @Audited('alteration', 'council-rules', 'councilId')
  @ApiWrite('optional', "council's rule set")
  @ApiConflictResponse({ description: 'The rule is statutory: the body carries its source and the rules a council may change' })
  @ApiUnprocessableEntityResponse({ description: OVER_LIMIT })
  @ApiOkResponse({ type: ChangedRuleView, headers: ETAG_HEADER, description: 'The rule as overridden' })
  async override(
    @CurrentPrincipal() principal: Principal,
    @Param() { councilId, ruleId }: CouncilRuleParams,
    @Body() body: OverrideRuleDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.rules.override(councilId, ruleId, body, ifMatch, actorOf(principal)));
  }

  @Delete(':ruleId')
  @Roles('administrator')
  @ApiOperation({ summary: `Return a rule to the national default. ${RECOMPUTED}` })
  @Audited('alteration', 'council-rules', 'councilId')
  @ApiWrite('optional', "council's rule set")
  @ApiOkResponse({ type: ChangedRuleView, headers: ETAG_HEADER, description: 'The rule back at its national default' })
  async reset(
    @CurrentPrincipal() principal: Principal,
    @Param() { councilId, ruleId }: CouncilRuleParams,
    @Query() query: ResetRuleDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.rules.reset(councilId, ruleId, query.reason, ifMatch, actorOf(principal)));
  }

  @Post(':ruleId/preview')
  @HttpCode(200)
  @Roles('administrator')
  @ApiOperation({
    summary:
      "What a change of the rule would do, without making it: the body is PUT's (or `reset: true` for DELETE's), and the answer lists every open obligation of the council's cases that would move (case, child, kind, due date now and after), with counts. Refused exactly as the change would be.",
  })
  @Audited('consultation', 'council-rules', 'councilId')
  @ApiOkResponse({ type: RuleChangePreviewView })
  @ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`' })
  @ApiNotFoundResponse({ description: 'No such rule, or (reset) no override to remove' })
  @ApiConflictResponse({ description: 'The rule is statutory: the body carries its source and the rules a council may change' })
  @ApiUnprocessableEntityResponse({ description: OVER_LIMIT })
  preview(@Param() { councilId, ruleId }: CouncilRuleParams, @Body() body: PreviewRuleChangeDto) {
    return this.rules.preview(councilId, ruleId, body);
  }
}
