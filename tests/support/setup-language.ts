// Vitest setup (vitest.config.ts): lib/ speaks English in tests, from locales/en.yml.
import { installLanguage } from './language';

installLanguage('en');
