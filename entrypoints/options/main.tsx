import { mount } from '@/components/mount';

mount(document.getElementById('root')!, false);
