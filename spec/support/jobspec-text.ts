// The text of a valid JobSpec for unit tests on memfs: an H.264 proxy of /media/A001.mov into /proxies,
// with any field replaced or added by `fields`.

export function jobSpecText(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    jobspec_version: '2.1',
    job_id: 'job00001',
    sources: ['/media/A001.mov'],
    output_directory: '/proxies',
    codec: 'h264',
    container: 'mp4',
    resolution: 'half',
    naming_template: '{source_name}_proxy',
    proxy_profile: 'proxy_h264_low',
    ...fields,
  });
}
