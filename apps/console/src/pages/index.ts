import { CasePageController } from './case/case.controller';
import { HomeController } from './home.controller';
import { KpisController } from './kpis/kpis.controller';
import { LegalController } from './legal/legal.controller';

export const PAGE_CONTROLLERS = [HomeController, KpisController, LegalController, CasePageController];
