import { CasePageController } from './case/case.controller';
import { HomeController } from './home.controller';

export const PAGE_CONTROLLERS = [HomeController, CasePageController];
