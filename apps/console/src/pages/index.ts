import { HomeController } from './home.controller';

export const PAGE_CONTROLLERS = [HomeController];
