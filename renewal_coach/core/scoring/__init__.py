"""The coaching brain: segments, campaign timeline, renewal risk, engagement balance, assessments.

Qt-free and database-free: every function takes plain records (models or the light rows of
:mod:`renewal_coach.storage.portfolio_data`) and the score settings.
"""
