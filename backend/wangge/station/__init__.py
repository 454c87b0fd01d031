"""The station's day: the triage meeting 每天一研判, supervision notes 督办, and the monthly hazard cycle 隐患排查."""
