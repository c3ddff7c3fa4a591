package dev.runrelay.application.usecase;

/** Every run operation the gateway offers, as one object: what a caller may do (see {@link ActAsCallerUseCase}). */
public interface RunUseCases
        extends StartRunUseCase,
                StartThreadAndRunUseCase,
                SubmitToolOutputsUseCase,
                CancelRunUseCase,
                RetrieveRunUseCase,
                ListRunsUseCase,
                UpdateRunUseCase,
                ListRunStepsUseCase,
                RetrieveRunStepUseCase,
                ResumeRunUseCase {}
