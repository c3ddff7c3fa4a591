# Sourced by .ci/run and the other .ci scripts (from the repository root): the same JDK 25+ selection as
# ./mvnw (.mvn/select-jdk.sh), plus that JDK first on PATH.
. .mvn/select-jdk.sh
export PATH="$JAVA_HOME/bin:$PATH"
