import { EditorTrackList } from './EditorTrackList';
import { OutputSection } from './OutputSection';
import { SettingsSection } from './SettingsSection';

/**
 * The options page's editor, loaded on demand by App so the popup never downloads, parses or
 * runs it: waveforms, trims, transitions, the full output section and the settings.
 */
export const Editor = { EditorTrackList, OutputSection, SettingsSection };
