// The demo portal: fills the editors, shows their change events as JSON.
import './s3-replication-editor.js';

const PRIMARY = `<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/portal-replication</Role>
  <Rule>
    <ID>everything</ID>
    <Priority>1</Priority>
    <Filter/>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::portal-copy-usw2</Bucket>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Disabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
`;

const SECONDARY = `{
  "Role": "arn:aws:iam::111122223333:role/service-role/portal-fallback",
  "Rules": [
    {
      "ID": "logs",
      "Priority": 1,
      "Filter": { "Prefix": "logs/" },
      "Status": "Enabled",
      "DeleteMarkerReplication": { "Status": "Disabled" },
      "Destination": { "Bucket": "arn:aws:s3:::portal-fallback-euw1" }
    }
  ]
}
`;

const CONTEXT = { sourceBucket: 'portal-main-use1', sourceRegion: 'us-east-1', sourceAccount: '111122223333',
  destinations: { 'portal-copy-usw2': { region: 'us-west-2', account: '111122223333' } } };

const primary = document.getElementById('primary');
const secondary = document.getElementById('secondary');
const reference = document.getElementById('reference');

function show(id, event) {
  const d = event.detail;
  const summary = {
    type: event.type,
    valid: d.valid,
    format: d.format,
    diagnostics: d.diagnostics.map((x) => `${x.severity} ${x.code} ${x.range.start.line}:${x.range.start.column} ${x.message}`),
    policies: d.policies ? d.policies.documents.map((p) => p.kind) : null,
    textLength: d.text.length,
  };
  document.getElementById(id).textContent = JSON.stringify(summary, null, 2);
}

primary.setValue(PRIMARY);
primary.setContext(CONTEXT);
secondary.setValue(SECONDARY);
reference.setValue(PRIMARY);
for (const [el, log] of [[primary, 'log-primary'], [secondary, 'log-secondary']]) {
  el.addEventListener('ready', (e) => show(log, e));
  el.addEventListener('change', (e) => show(log, e));
}
document.getElementById('reset-secondary').addEventListener('click', () => secondary.setValue(SECONDARY));
document.getElementById('set-region').addEventListener('click', () => primary.setContext({ ...CONTEXT, sourceRegion: 'eu-west-1' }));
