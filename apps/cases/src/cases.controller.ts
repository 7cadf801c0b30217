import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@plo/contracts';
import { CasesService } from './cases.service';
import { CloseCaseDto, OpenCaseDto, RecordVisitDto } from './cases.dto';

/** Until sign-in exists (the access-control issue), the caller names itself in `x-user-id`. */
function actorFrom(userId: string | undefined): Actor {
  return { kind: 'user', id: userId?.trim() || 'unidentified' };
}

@ApiTags('cases')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @ApiOperation({ summary: 'Open a case for one or more children; schedules the first visit' })
  open(@Body() body: OpenCaseDto, @Headers('x-user-id') userId?: string) {
    return this.cases.open(body, actorFrom(userId));
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'A case with its children and obligations' })
  get(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.cases.get(caseId);
  }

  @Post(':caseId/visits')
  @ApiOperation({ summary: 'Record a visit (late entry is fine); meets the visit obligation and schedules the next' })
  recordVisit(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: RecordVisitDto, @Headers('x-user-id') userId?: string) {
    return this.cases.recordVisit(caseId, body, actorFrom(userId));
  }

  @Post(':caseId/closure')
  @ApiOperation({ summary: 'Close a case; its open obligations end' })
  close(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: CloseCaseDto, @Headers('x-user-id') userId?: string) {
    return this.cases.close(caseId, body, actorFrom(userId));
  }
}
