import { Body, Controller, Get, Header, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { ApiClients } from '@plo/api-client';
import { londonDateOf } from '@plo/timescales';
import type { Response } from 'express';
import { answer, Backend, UpstreamError } from '../../backend/backend';
import { CurrentSession } from '../../http/console-request';
import type { SignedInSession } from '../../sessions/session';
import { bannerFor, legalPage } from './legal-view';

/** The note PLO keeps as a dismissal's resolution has at most this many characters. */
const NOTE_LIMIT = 1000;

const NOTE_PROBLEMS: Record<string, string> = {
  'note-missing': 'Enter why the court update is dismissed',
  'note-too-long': `The reason must be ${NOTE_LIMIT} characters or fewer`,
};

/** A court update exception's id as PLO numbers them; anything else names no exception. */
function exceptionId(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new NotFoundException();
  return Number(value);
}

/**
 * Legal staff's page: every open set of proceedings they may see (PLO decides which), each child's
 * clock, the next hearings and outstanding directions, and the court updates that could not be applied.
 */
@Controller('legal')
export class LegalController {
  constructor(private readonly backend: Backend) {}

  @Get()
  @Header('cache-control', 'no-store')
  async page(
    @CurrentSession() session: SignedInSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const client = this.backend.as(session);
    const open = answer('plo', client.plo.GET('/proceedings/open'));
    const [proceedings, names, exceptions] = await Promise.all([
      open,
      open.then((all) => childNames(client, [...new Set(all.map((p) => p.caseId))])),
      answer('plo', client.plo.GET('/court/exceptions')),
    ]);
    const now = new Date();
    const problem = typeof query.problem === 'string' ? NOTE_PROBLEMS[query.problem] : undefined;
    const problemException = problem && typeof query.exception === 'string' ? query.exception : undefined;
    response.render('pages/legal.njk', {
      title: problemException ? 'Error: Care proceedings' : 'Care proceedings',
      section: 'legal',
      session,
      ...legalPage(proceedings, names, now, londonDateOf(now)),
      exceptions,
      banner: bannerFor(query),
      noteProblem: problemException ? { exceptionId: problemException, text: problem } : null,
    });
  }

  @Post('exceptions/:id/retry')
  async retry(@CurrentSession() session: SignedInSession, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const retried = await answer(
      'plo',
      this.backend.as(session).plo.POST('/court/exceptions/{id}/retry', { params: { path: { id: exceptionId(id) } } }),
    );
    const resolved = retried.exception.status === 'resolved' ? 'yes' : 'no';
    response.redirect(
      303,
      `/legal?done=retried&exception=${retried.exception.id}&outcome=${encodeURIComponent(retried.result.outcome)}&resolved=${resolved}`,
    );
  }

  @Post('exceptions/:id/dismiss')
  async dismiss(
    @CurrentSession() session: SignedInSession,
    @Param('id') id: string,
    @Body() body: { note?: unknown },
    @Res() response: Response,
  ): Promise<void> {
    const number = exceptionId(id);
    const note = typeof body.note === 'string' ? body.note.trim() : '';
    if (!note || note.length > NOTE_LIMIT) {
      const problem = note ? 'note-too-long' : 'note-missing';
      response.redirect(303, `/legal?problem=${problem}&exception=${number}#note-${number}`);
      return;
    }
    await answer(
      'plo',
      this.backend.as(session).plo.POST('/court/exceptions/{id}/dismiss', { params: { path: { id: number } }, body: { note } }),
    );
    response.redirect(303, `/legal?done=dismissed&exception=${number}`);
  }
}

/**
 * Children's names by id, from the cases service. A case it does not yet show this person (it learns
 * of legal's involvement a moment after PLO) leaves its children unnamed rather than the page broken.
 */
async function childNames(client: ApiClients, caseIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    caseIds.map(async (caseId) => {
      try {
        const children = await answer('cases', client.cases.GET('/cases/{caseId}/children', { params: { path: { caseId } } }));
        for (const child of children) names.set(child.id, `${child.firstName} ${child.lastName}`);
      } catch (error) {
        if (!(error instanceof UpstreamError && error.status === 404)) throw error;
      }
    }),
  );
  return names;
}
