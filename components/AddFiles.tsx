/** Audio and audio-bearing video the picker offers; ffmpeg reads more, so "All files" still works. */
const ACCEPT = [
  'audio/*',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/x-matroska',
  '.mp3,.m4a,.m4b,.m4r,.aac,.wav,.flac,.ogg,.oga,.opus,.weba,.webm,.mka,.mp4,.mov,.aif,.aiff,.wma,.amr',
].join(',');

export function AddFiles({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <label class="button primary add-files">
      Add files
      <input
        class="visually-hidden"
        type="file"
        multiple
        accept={ACCEPT}
        onChange={(e) => {
          const input = e.currentTarget;
          onFiles([...(input.files ?? [])]);
          input.value = '';
        }}
      />
    </label>
  );
}
