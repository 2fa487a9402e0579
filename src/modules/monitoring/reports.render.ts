import type { ReportT } from './reports.schemas.ts'

// The report as a printable HTML page (inline SVG charts, no script: it passes a CSP of
// default-src 'none') and as CSV (one row per figure, for a spreadsheet).

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )
const num = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1))

export const reportCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const statusColour: Record<string, string> = {
  achieved: '#1b7837',
  on_track: '#5aae61',
  at_risk: '#e08214',
  off_track: '#b2182b',
  no_data: '#999999',
}

/** Horizontal bars: label, value, and the scale's maximum; one bar per row. */
function bars(
  rows: { label: string; value: number; colour?: string; note?: string }[],
  max: number,
  unit = '',
): string {
  const h = 22
  const width = 640
  const labelWidth = 220
  const scale = (width - labelWidth - 80) / (max || 1)
  const body = rows
    .map((r, i) => {
      const w = Math.max(0, Math.min(r.value, max * 1.5) * scale)
      return `<g transform="translate(0,${i * h})"><text x="0" y="15" font-size="12">${esc(r.label)}</text>
<rect x="${labelWidth}" y="4" width="${w.toFixed(1)}" height="14" fill="${r.colour ?? '#2166ac'}"/>
<text x="${(labelWidth + w + 4).toFixed(1)}" y="15" font-size="11">${esc(r.note ?? `${num(r.value)}${unit}`)}</text></g>`
    })
    .join('\n')
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${rows.length * h + 4}" viewBox="0 0 ${width} ${rows.length * h + 4}">${body}</svg>`
}

export function reportHtml(r: ReportT): string {
  const title = `${r.plan.code}: ${r.kind === 'final' ? 'final report' : `report for ${r.period}`}`
  const progress = r.indicators.indicators
  const activityMax = Math.max(1, ...r.activities.byStatus.map((s) => s.count))
  const sections = [
    `<h1>${esc(title)}</h1><p>${esc(r.plan.title)}<br>Period ${esc(r.from)} to ${esc(r.to)}; generated ${esc(r.generatedAt)}.</p>`,
    '<h2>Indicator progress</h2>',
    `<p>${Object.entries(r.indicators.summary)
      .map(
        ([s, n]) => `<span class="tag" style="background:${statusColour[s]}">${esc(s.replace('_', ' '))}: ${n}</span>`,
      )
      .join(' ')}</p>`,
    progress.length
      ? bars(
          progress.map((i) => ({
            label: `${i.code}`,
            value: i.percentOfTarget ?? 0,
            colour: statusColour[i.status],
            note: i.percentOfTarget === null ? 'no data' : `${num(i.percentOfTarget)} % of target`,
          })),
          100,
        )
      : '<p>No indicators.</p>',
    `<table><thead><tr><th>Code</th><th>Indicator</th><th>Actual</th><th>Target</th><th>% of target</th><th>Status</th></tr></thead><tbody>${progress
      .map(
        (i) =>
          `<tr><td>${esc(i.code)}</td><td>${esc(i.title)}</td><td class="n">${num(i.actual)}</td><td class="n">${num(i.target)}</td><td class="n">${num(i.percentOfTarget)}</td><td>${esc(i.status.replace('_', ' '))}</td></tr>`,
      )
      .join('')}</tbody></table>`,
    '<h2>Activities</h2>',
    r.activities.byStatus.length
      ? bars(
          r.activities.byStatus.map((s) => ({ label: s.status.replace('_', ' '), value: s.count })),
          activityMax,
        )
      : '<p>No activities.</p>',
    `<h3>Status changed in the period</h3>${
      r.activities.changedStatus.length
        ? `<ul>${r.activities.changedStatus.map((a) => `<li>${esc(a.code)}: ${esc(a.title)} — now ${esc(a.status)}</li>`).join('')}</ul>`
        : '<p>None.</p>'
    }`,
    '<h2>Meetings held</h2>',
    r.meetings.held.length
      ? `<table><thead><tr><th>Meeting</th><th>Dates</th><th>Outcomes</th><th>Decisions</th><th>Recommendations</th><th>Agreements</th><th>Action items</th></tr></thead><tbody>${r.meetings.held
          .map(
            (m) =>
              `<tr><td>${esc(m.sequence ? `${m.sequence}: ${m.title}` : m.title)}</td><td>${esc(m.startDate)}${m.endDate && m.endDate !== m.startDate ? ` – ${esc(m.endDate)}` : ''}</td><td class="n">${m.outcomes}</td><td class="n">${m.decisions}</td><td class="n">${m.recommendations}</td><td class="n">${m.agreements}</td><td class="n">${m.actionItems}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p>No meetings held in the period.</p>',
    `<h3>Open action items</h3>${
      r.meetings.openActionItems.length
        ? `<ul>${r.meetings.openActionItems.map((o) => `<li>${esc(o.text)}${o.dueDate ? ` (due ${esc(o.dueDate)})` : ''} — ${esc(o.status.replace('_', ' '))}</li>`).join('')}</ul>`
        : '<p>None.</p>'
    }`,
    '<h2>Training</h2>',
    r.training === null
      ? '<p>No training data in this installation.</p>'
      : `<p>Courses that began in the period: ${
          r.training.courses.map((c) => `${esc(c.status)} ${c.count}`).join(', ') || 'none'
        }.</p><table><thead><tr><th>Country</th><th>Sex</th><th>Status</th><th>Participants</th></tr></thead><tbody>${r.training.participants
          .map(
            (p) =>
              `<tr><td>${esc(p.country ?? '—')}</td><td>${esc(p.sex)}</td><td>${esc(p.status)}</td><td class="n">${p.count === null ? `&lt;${r.training!.suppressedBelow}` : p.count}</td></tr>`,
          )
          .join('')}</tbody></table>`,
  ]
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;font-size:.9em}
td.n{text-align:right}.tag{color:#fff;padding:.1em .5em;border-radius:.3em;font-size:.85em}
@media print{body{margin:0}h2{page-break-after:avoid}}
</style></head><body>
${sections.join('\n')}
</body></html>
`
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One row per figure: section, item, label, measure, value. */
export function reportCsv(r: ReportT): string {
  const rows: unknown[][] = [['section', 'item', 'label', 'measure', 'value']]
  for (const i of r.indicators.indicators) {
    rows.push(['indicator', i.code, i.title, 'actual', i.actual])
    rows.push(['indicator', i.code, i.title, 'target', i.target])
    rows.push(['indicator', i.code, i.title, 'percentOfTarget', i.percentOfTarget])
    rows.push(['indicator', i.code, i.title, 'status', i.status])
  }
  for (const s of r.activities.byStatus) rows.push(['activities', s.status, '', 'count', s.count])
  for (const a of r.activities.changedStatus)
    rows.push(['activity-status-changed', a.code, a.title, 'status', a.status])
  for (const m of r.meetings.held) rows.push(['meeting-held', m.sequence ?? '', m.title, 'outcomes', m.outcomes])
  for (const o of r.meetings.openActionItems) rows.push(['open-action-item', o.id, o.text, 'status', o.status])
  if (r.training) {
    for (const c of r.training.courses) rows.push(['training-courses', c.status, '', 'count', c.count])
    for (const p of r.training.participants)
      rows.push(['training-participants', `${p.country ?? ''}/${p.sex}`, p.status, 'count', p.count ?? 'suppressed'])
  }
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
