/**
 * Which years' missing official holiday data the admins must hear about, and what they are told.
 * The current year always; next year from November on, when the State Council usually publishes
 * it (earlier warnings would only be noise). A year for which admins have already entered
 * overrides is in their hands and is not announced again.
 */
export function yearsToAnnounce(input: {
  year: number;
  month: number;
  hasOfficialData: (year: number) => boolean;
  overridesInYear: (year: number) => number;
}): number[] {
  const candidates = input.month >= 11 ? [input.year, input.year + 1] : [input.year];
  return candidates.filter((y) => !input.hasOfficialData(y) && input.overridesInYear(y) === 0);
}

export function missingCalendarText(years: number[]): string {
  const list = years.map((y) => `${y}年`).join('、');
  return [
    `【日历提醒】系统尚无${list}的法定节假日和调休安排，目前暂按周一至周五计算工作日，期间的办理时限可能不准。`,
    '国务院办公厅公布安排后，请升级日历数据，或通过管理接口 PUT /api/v1/calendar/日期 逐日录入节假日与调休上班日。',
    '录入后不再提醒。',
  ].join('\n');
}
