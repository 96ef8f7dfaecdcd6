import { mount } from '@/components/mount';
import { installLanguage } from '@/lib/i18n/install';

installLanguage();
mount(document.getElementById('root')!, false);
