import type { Deps } from '../deps.js';
import { localDate } from '../domain/time.js';
import { referenceData } from '../settings/reference-data.js';
import { yearReport } from './year-report.js';

/**
 * 年度统计 in chat: the year-end paragraph for a chief — their department's, or the office's for a
 * leader (a chief of the top department, or of none); the same figures as GET /reports/year.
 */
export async function yearReportForPerson(deps: Deps, openId: string, year?: number): Promise<string> {
  const ref = await referenceData(deps);
  const person = ref.people.get(openId);
  if (!person?.roles.includes('chief')) return '年度统计仅发送给处室负责人和办公厅领导。';
  const leader = !person.dept || ref.departmentsByCode.get(person.dept)?.isTop === true;
  const thisYear = Number(localDate(deps.clock.now(), deps.config.timezone).slice(0, 4));
  const y = year ?? thisYear;
  if (y < 2000 || y > thisYear)
    return `年度统计：请写上${thisYear}年或以前的年份，如「年度统计 ${thisYear}」。`;
  const report = await yearReport(deps, { year: y, dept: leader ? undefined : (person.dept ?? undefined) });
  const upTo = y === thisYear ? `（截至${localDate(deps.clock.now(), deps.config.timezone)}）` : '';
  return `【${y}年度督办统计】${upTo}\n${report.summaryZh}`;
}
