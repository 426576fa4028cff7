"""All side effects of crmflow's processes: classes holding a session factory."""
